/**
 * The part of the WebAssembly JS API the engine uses (train/kernels/optimKernels.ts). Node has the
 * `WebAssembly` global, but TypeScript declares it only in the DOM and web-worker libs, which the engine's
 * own type check (tsconfig.engine.json) leaves out so that no browser API slips into Node code. The main
 * tsconfig takes the full declaration from the DOM lib and does not include this file.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Memory {
    constructor(descriptor: { initial: number });
    readonly buffer: ArrayBuffer;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
