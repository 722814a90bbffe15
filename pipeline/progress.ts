/** Progress on long work, as the pipeline reports it; the terminal or a status page shows it. */
export interface Progress {
  start(task: string): ProgressTask;
}

export interface ProgressTask {
  update(detail: string): void;
  done(): void;
}
