/** One figure of a report: a file-safe name (`u-matrix`), a human title and the SVG document. */
export interface ReportFigure {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

/** A self-contained HTML report and its figures (the same SVGs the HTML inlines). */
export interface Report {
  readonly html: string;
  readonly figures: ReportFigure[];
}
