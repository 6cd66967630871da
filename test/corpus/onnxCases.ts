/**
 * Hostile ONNX checkpoints, each derived from a real fixture by one targeted edit of its protobuf (or of its
 * bytes), with the cause its refusal must state. Built at test time into a folder; see README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModelProto } from '../../src/engine/onnx/read';
import { ModelProtoType, type ModelProto, type NodeProto, type TensorProto } from '../../src/engine/onnx/proto';
import { FIXTURES } from './workspace';

export interface OnnxCase {
  name: string;
  /** Writes the case into `dir`; returns the checkpoint path. */
  make(dir: string): string;
  cause: RegExp;
}

const fixtureBytes = (name = 'fmnist-mlp.onnx') => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** The MLP fixture's protobuf, edited by `edit`, written as `name.onnx`. */
function edited(name: string, edit: (m: ModelProto) => void, extra?: (dir: string) => void): (dir: string) => string {
  return (dir) => {
    const proto = decodeModelProto(fixtureBytes());
    edit(proto);
    const file = join(dir, `${name}.onnx`);
    writeFileSync(file, ModelProtoType.encode(proto as never).finish());
    extra?.(dir);
    return file;
  };
}

function bytesCase(name: string, bytes: () => Uint8Array): (dir: string) => string {
  return (dir) => {
    const file = join(dir, `${name}.onnx`);
    writeFileSync(file, bytes());
    return file;
  };
}

const graph = (m: ModelProto) => m.graph!;
const firstWeight = (m: ModelProto): TensorProto => graph(m).initializer![0];
const nodeOf = (m: ModelProto, op: string): NodeProto => graph(m).node!.find((n) => n.op_type === op)!;

/** Moves the first initializer's payload into an external file reference `location` (file content optional). */
function external(location: string, offset = 0, length?: number) {
  return (m: ModelProto) => {
    const t = firstWeight(m);
    t.raw_data = new Uint8Array(0);
    t.data_location = 1;
    t.external_data = [{ key: 'location', value: location }, { key: 'offset', value: String(offset) }, ...(length !== undefined ? [{ key: 'length', value: String(length) }] : [])];
  };
}

const decodeFailure = /not a valid ONNX model|the model has no graph/;

export const ONNX_CASES: OnnxCase[] = [
  { name: 'empty', make: bytesCase('empty', () => new Uint8Array(0)), cause: /no graph/ },
  ...[1, 7, 300, 0.5, -1].map((at) => ({
    name: `truncated-${at}`,
    make: bytesCase(`truncated-${at}`, () => {
      const b = fixtureBytes();
      return b.subarray(0, at === -1 ? b.length - 1 : at < 1 ? Math.floor(b.length * at) : at);
    }),
    cause: decodeFailure,
  })),
  { name: 'text', make: bytesCase('text', () => new TextEncoder().encode('this is not a model, just some text\n'.repeat(20))), cause: decodeFailure },
  { name: 'png-renamed', make: bytesCase('png-renamed', () => new Uint8Array(readFileSync(join(__dirname, '..', '..', 'media', 'icon.png')))), cause: decodeFailure },
  // Field 7 (graph), wire type 2, with a varint length of ~2^63: the reader must not trust it.
  { name: 'absurd-length', make: bytesCase('absurd-length', () => Uint8Array.from([0x08, 0x07, 0x3a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x01])), cause: decodeFailure },
  { name: 'absurd-dims', make: edited('absurd-dims', (m) => { const t = firstWeight(m); t.dims = [2 ** 40, 2 ** 40]; t.raw_data = new Uint8Array(0); }), cause: /holds 0 values but dims \[1099511627776, 1099511627776\]/ },
  { name: 'absurd-dims-raw', make: edited('absurd-dims-raw', (m) => { firstWeight(m).dims = [2 ** 31, 2 ** 31]; }), cause: /bytes but dims \[2147483648, 2147483648\] need/ },
  { name: 'negative-dim', make: edited('negative-dim', (m) => { firstWeight(m).dims = [-1, 784]; }), cause: /invalid dims \[-1, 784\]/ },
  { name: 'short-raw-data', make: edited('short-raw-data', (m) => { const t = firstWeight(m); t.raw_data = t.raw_data!.subarray(0, 12); }), cause: /holds 12 bytes but dims/ },
  { name: 'string-initializer', make: edited('string-initializer', (m) => { firstWeight(m).data_type = 8; }), cause: /unsupported tensor data type string/ },
  { name: 'external-outside', make: edited('external-outside', external('../outside.bin'), (dir) => writeFileSync(join(dir, '..', 'outside.bin'), new Uint8Array(1 << 20))), cause: /external data "\.\.\/outside\.bin" points outside the model's folder; refused/ },
  { name: 'external-absolute', make: edited('external-absolute', external('/etc/hostname')), cause: /points outside the model's folder|not found/ },
  {
    name: 'external-symlink',
    make: edited('external-symlink', external('weights.bin'), (dir) => {
      writeFileSync(join(dir, '..', 'secret.bin'), new Uint8Array(1 << 20));
      symlinkSync(join(dir, '..', 'secret.bin'), join(dir, 'weights.bin'));
    }),
    cause: /points outside the model's folder; refused/,
  },
  { name: 'external-missing', make: edited('external-missing', external('nowhere.bin')), cause: /external data file "nowhere\.bin" not found/ },
  { name: 'external-range', make: edited('external-range', external('small.bin', 8, 1 << 30), (dir) => writeFileSync(join(dir, 'small.bin'), new Uint8Array(64))), cause: /external data "small\.bin": the range 8\+1073741824 exceeds the external data file \(64 bytes\)/ },
  // Where a file is expected: a folder, and a FIFO (reading it would wait for a writer forever).
  { name: 'external-directory', make: edited('external-directory', external('weights.bin'), (dir) => mkdirSync(join(dir, 'weights.bin'))), cause: /external data "weights\.bin": the external data file is a directory, not a regular file; refused/ },
  { name: 'external-fifo', make: edited('external-fifo', external('weights.bin'), (dir) => execFileSync('mkfifo', [join(dir, 'weights.bin')])), cause: /external data "weights\.bin": the external data file is a FIFO \(named pipe\), not a regular file; refused/ },
  // ONNX values are written once: a second writer, or a node writing over a weight, leaves a name two meanings.
  { name: 'duplicate-output', make: edited('duplicate-output', (m) => { nodeOf(m, 'Relu').output = [...nodeOf(m, 'Gemm').output!]; }), cause: /\(Relu\): writes "[^"]+", which a graph input, an initializer or an earlier node already defines/ },
  { name: 'output-shadows-initializer', make: edited('output-shadows-initializer', (m) => { nodeOf(m, 'Relu').output = [firstWeight(m).name!]; }), cause: /\(Relu\): writes "[^"]+", which a graph input, an initializer or an earlier node already defines/ },
  { name: 'no-outputs', make: edited('no-outputs', (m) => { graph(m).output = []; }), cause: /the graph has no outputs/ },
  { name: 'unsupported-op', make: edited('unsupported-op', (m) => { nodeOf(m, 'Relu').op_type = 'Mish'; }), cause: /node "[^"]+" \(Mish\): unsupported op "Mish"/ },
  { name: 'custom-domain-op', make: edited('custom-domain-op', (m) => { const n = nodeOf(m, 'Relu'); n.op_type = 'Frobnicate'; n.domain = 'com.acme'; }), cause: /unsupported op "com\.acme\.Frobnicate"/ },
  { name: 'unknown-attribute', make: edited('unknown-attribute', (m) => { nodeOf(m, 'Gemm').attribute!.push({ name: 'sparkle', type: 2, i: 1 } as never); }), cause: /attribute "sparkle": unsupported attribute of Gemm/ },
  { name: 'string-attribute-unset', make: edited('string-attribute-unset', (m) => { nodeOf(m, 'Gemm').attribute!.push({ name: 'note', type: 3 } as never); }), cause: /attribute "note": unsupported attribute of Gemm/ },
  { name: 'dangling-input', make: edited('dangling-input', (m) => { nodeOf(m, 'Relu').input = ['no-such-value']; }), cause: /\(Relu\): reads "no-such-value", which no graph input, initializer or earlier node defines/ },
  { name: 'undefined-output', make: edited('undefined-output', (m) => { graph(m).output![0].name = 'ghost'; }), cause: /graph output "ghost" is not produced by any node/ },
  { name: 'nan-weight', make: edited('nan-weight', (m) => { const t = firstWeight(m); new DataView(t.raw_data!.buffer, t.raw_data!.byteOffset).setFloat32(40, NaN, true); }), cause: /initializer "[^"]+": holds NaN at index 10; the checkpoint is corrupt/ },
  { name: 'inf-weight', make: edited('inf-weight', (m) => { const t = firstWeight(m); new DataView(t.raw_data!.buffer, t.raw_data!.byteOffset).setFloat32(0, -Infinity, true); }), cause: /holds -Infinity at index 0/ },
  { name: 'two-inputs', make: edited('two-inputs', (m) => { graph(m).input!.push({ name: 'extra', type: graph(m).input![0].type }); }), cause: /expected one data input, found 2/ },
  { name: 'dynamic-feature-axis', make: edited('dynamic-feature-axis', (m) => { graph(m).input![0].type!.tensor_type!.shape!.dim![2] = { dim_param: 'height' }; }), cause: /dynamic dimension "height" at axis 2/ },
  { name: 'old-opset', make: edited('old-opset', (m) => { m.opset_import = [{ domain: '', version: 1 }]; }), cause: /ONNX opset 1 is not supported/ },
  {
    name: 'missing-required-input',
    make: edited('missing-required-input', (m) => { nodeOf(m, 'Gemm').input = nodeOf(m, 'Gemm').input!.slice(0, 1); }),
    // Was a plain "internal: value "undefined" has no known shape" Error until autodiff checked op arity (b96dc7e).
    cause: /\(Gemm\): Gemm takes 2 to 3 inputs, found 1/,
  },
];
