// Ambient types for what the pages get from <script> tags rather than imports: plotly.js, loaded as a classic
// script (templates/algorithm.html → /static/vendor/plotly.min.js) and reached as `window.Plotly`.
// Only type checking reads this file (tsconfig.json); the browser never loads it, the Docker image never has it.
// Figures are open JSON (the server builds them with plotly.py), so traces and layouts are records of unknown:
// a module that reads a field narrows it first.

export {};

declare global {
  /** One trace of a figure: `{type: "scatter", x: [...], y: [...], marker: {...}, ...}`. */
  type PlotlyTrace = Record<string, unknown>;
  /** A figure's layout (axes, shapes, annotations, uirevision, ...). */
  type PlotlyLayout = Record<string, unknown>;
  /** plotly.js config (`displayModeBar`, `responsive`, `staticPlot`, ...). */
  type PlotlyConfig = Record<string, unknown>;
  /** A figure as the API sends it. */
  type PlotlyFigure = { data?: PlotlyTrace[]; layout?: PlotlyLayout };
  /** `{x: [[...]], y: [[...]]}`: per attribute, one array of new values per trace index given. */
  type PlotlyExtendUpdate = Record<string, unknown[][]>;

  /** An axis after plotly.js has laid it out (`gd._fullLayout.xaxis`): its range and pixel ↔ data maps. */
  interface PlotlyFullAxis {
    range?: number[];
    /** Pixel offset inside the plot area → data coordinate. */
    p2d(px: number): number;
    /** Data coordinate → pixel offset inside the plot area. */
    d2p(value: number): number;
    [key: string]: unknown;
  }

  /** plotly.js's computed layout (private but stable for years: `_fullLayout`). */
  interface PlotlyFullLayout {
    xaxis?: PlotlyFullAxis;
    yaxis?: PlotlyFullAxis;
    [key: string]: unknown;
  }

  /** A plot's element once plotly.js has drawn into it (before that it is a plain element: all optional). */
  interface PlotlyGraphDiv extends HTMLElement {
    data?: PlotlyTrace[];
    layout?: PlotlyLayout;
    _fullLayout?: PlotlyFullLayout;
    /** plotly.js events (`plotly_click`, `plotly_relayout`, ...), added by the first draw. */
    on?(event: string, handler: (event: unknown) => void): void;
    removeAllListeners?(event?: string): void;
  }

  /** The parts of the plotly.js API the pages use (https://plotly.com/javascript/plotlyjs-function-reference/). */
  interface PlotlyStatic {
    newPlot(gd: HTMLElement, data: PlotlyTrace[], layout?: PlotlyLayout, config?: PlotlyConfig): Promise<PlotlyGraphDiv>;
    react(gd: HTMLElement, data: PlotlyTrace[], layout?: PlotlyLayout, config?: PlotlyConfig): Promise<PlotlyGraphDiv>;
    restyle(gd: HTMLElement, update: Record<string, unknown>, traces?: number | number[]): Promise<PlotlyGraphDiv>;
    relayout(gd: HTMLElement, update: Record<string, unknown>): Promise<PlotlyGraphDiv>;
    update(
      gd: HTMLElement,
      traceUpdate: Record<string, unknown>,
      layoutUpdate: Record<string, unknown>,
      traces?: number | number[],
    ): Promise<PlotlyGraphDiv>;
    extendTraces(
      gd: HTMLElement,
      update: PlotlyExtendUpdate,
      indices: number | number[],
      maxPoints?: number | number[],
    ): Promise<PlotlyGraphDiv>;
    prependTraces(
      gd: HTMLElement,
      update: PlotlyExtendUpdate,
      indices: number | number[],
      maxPoints?: number | number[],
    ): Promise<PlotlyGraphDiv>;
    addTraces(gd: HTMLElement, traces: PlotlyTrace | PlotlyTrace[], newIndices?: number | number[]): Promise<PlotlyGraphDiv>;
    deleteTraces(gd: HTMLElement, indices: number | number[]): Promise<PlotlyGraphDiv>;
    purge(gd: HTMLElement): void;
    toImage(gd: HTMLElement, opts: PlotlyImageOptions): Promise<string>;
    downloadImage(gd: HTMLElement, opts: PlotlyImageOptions & { filename?: string }): Promise<string>;
    Plots: { resize(gd: HTMLElement): Promise<void> | void };
  }

  interface PlotlyImageOptions {
    format?: "png" | "jpeg" | "webp" | "svg";
    width?: number;
    height?: number;
    scale?: number;
  }

  interface Window {
    /** Set by /static/vendor/plotly.min.js; absent when that script failed to load (and in node tests). */
    Plotly?: PlotlyStatic;
  }
}
