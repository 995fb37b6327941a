/** A user error of the command line (bad flag, missing value): printed as one line, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string) {
    super(message);
  }
}
