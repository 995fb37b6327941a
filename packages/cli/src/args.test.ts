import { describe, expect, it } from 'vitest';
import { CliError } from './CliError.js';
import { choiceFlag, intFlag, numberFlag, parseFlags, parseValue } from './args.js';

const SPEC = {
  epochs: { type: 'string' },
  'batch-size': { type: 'string', alias: ['batch'] },
  json: { type: 'boolean' },
} as const;

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return (e as Error).message;
  }
  throw new Error('expected a CliError');
}

describe('parseFlags', () => {
  it('reads --flag value, --flag=value, switches, aliases and the common flags', () => {
    expect(parseFlags('x', ['--epochs', '3', '--json', '--batch=8', '--verbose'], SPEC)).toEqual({ epochs: '3', json: true, 'batch-size': '8', verbose: true });
    expect(parseFlags('x', ['--batch', '8', '--batch-size', '9'], SPEC)).toEqual({ 'batch-size': '9' });
    expect(parseFlags('x', ['--quiet'], SPEC)).toEqual({ quiet: true });
  });

  it('takes a value that starts with a dash, so the value check can say what it expects', () => {
    const v = parseFlags('train', ['--epochs', '-1'], SPEC);
    expect(v.epochs).toBe('-1');
    expect(message(() => intFlag('train', v, 'epochs', 10))).toBe("somkit train: --epochs expects an integer ≥ 1, got '-1'. Run 'somkit train --help' for the options.");
  });

  it('refuses unknown flags with a did-you-mean, missing values, values of switches and stray arguments', () => {
    expect(message(() => parseFlags('train', ['--epoch', '3'], SPEC))).toBe("somkit train: Unknown option '--epoch'. Did you mean --epochs?");
    expect(message(() => parseFlags('train', ['--zzz'], SPEC))).toBe("somkit train: Unknown option '--zzz'. Run 'somkit train --help' for the options.");
    expect(message(() => parseFlags('train', ['-e'], SPEC))).toMatch(/Unknown option '-e'/);
    expect(message(() => parseFlags('train', ['--epochs'], SPEC))).toMatch(/--epochs needs a value/);
    expect(message(() => parseFlags('train', ['--epochs', '--json'], SPEC))).toMatch(/--epochs needs a value/);
    expect(message(() => parseFlags('train', ['--json=yes'], SPEC))).toMatch(/--json is a switch and takes no value, got 'yes'/);
    expect(message(() => parseFlags('train', ['data.csv'], SPEC))).toMatch(/unexpected argument 'data.csv'/);
    expect(message(() => parseFlags('train', ['--', 'x'], SPEC))).toMatch(/unexpected argument 'x'/);
  });
});

describe('parseValue: one parser, one error style', () => {
  it('integers, numbers and words', () => {
    expect(parseValue('c', 'k', ' 7 ', { kind: 'int', min: 1 })).toBe(7);
    expect(parseValue('c', 'k', '0', { kind: 'int', min: 0 })).toBe(0);
    expect(numberFlag('c', { s: '0.5' }, 's')).toBe(0.5);
    expect(numberFlag('c', { r: '0' }, 'r', 0)).toBe(0);
    expect(choiceFlag('c', { m: 'pca' }, 'm', ['pca', 'random'])).toBe('pca');
    expect(intFlag('c', {}, 'k', 4)).toBe(4);
  });

  it('says what it expects, what it got, and the closest word', () => {
    expect(message(() => parseValue('c', 'k', '2.5', { kind: 'int', min: 1 }))).toBe("somkit c: --k expects an integer ≥ 1, got '2.5'. Run 'somkit c --help' for the options.");
    expect(message(() => numberFlag('c', { sigma: '0' }, 'sigma'))).toMatch(/^somkit c: --sigma expects a number > 0, got '0'\./);
    expect(message(() => numberFlag('c', { ridge: '-1' }, 'ridge', 0))).toMatch(/--ridge expects a number ≥ 0, got '-1'/);
    expect(message(() => numberFlag('c', { lr: '1e999' }, 'lr'))).toMatch(/--lr expects a number > 0, got '1e999'/);
    expect(message(() => choiceFlag('c', { rule: 'batchmap' }, 'rule', ['minibatch', 'batch-map']))).toBe("somkit c: --rule expects one of minibatch, batch-map, got 'batchmap'. Did you mean batch-map?");
  });
});
