/** In-memory datasets and forget sets, shared by the readers, the trainer, methods and metrics. */

/** One split of a dataset, preprocessed and ready to feed: x is n × prod(exampleShape), row-major. */
export interface Dataset {
  x: Float32Array;
  /** Integer class labels in [0, numClasses). */
  y: Int32Array;
  n: number;
  /** Shape of one example in the model's layout, e.g. [1, 28, 28]. */
  exampleShape: number[];
  /** Stable ids that survive reordering: "train:123" for IDX/NPY, "file:rel/path.png", "row:train.csv:17". */
  ids: string[];
  classNames: string[];
  /** Files the examples came from (hashed for provenance). */
  sources: string[];
  /** Folder that the relative paths inside "file:" and "row:" ids are relative to (the descriptor's folder). */
  root?: string;
}

export interface DatasetSplits {
  /** Path of the descriptor or folder the dataset was loaded from. */
  path: string;
  train: Dataset;
  test: Dataset;
  classNames: string[];
}

/** A forget-set file (`*.forget.json`). Exactly one selection kind is used. */
export interface ForgetSetFile {
  version: 1;
  /** Dataset descriptor or folder, relative to the forget-set file. */
  dataset: string;
  split?: 'train';
  description?: string;
  selection:
    | { kind: 'ids'; ids: string[] }
    | { kind: 'indices'; indices: number[] }
    | { kind: 'files'; files: string[] }
    | { kind: 'classes'; classes: (string | number)[] }
    | { kind: 'rows'; file: string; rows: number[] };
}

/** Indices into the train split. */
export interface ForgetSplit {
  forget: Int32Array;
  retain: Int32Array;
}
