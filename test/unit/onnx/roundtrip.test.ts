/**
 * ONNX in and out: a model read and written by Lethe keeps what it does not model (unknown fields at every
 * level, doc strings, opsets, names, producer) and gives onnxruntime the same outputs as the original file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeModel, decodeModelProto } from '../../../src/engine/onnx/read';
import { ModelProtoType } from '../../../src/engine/onnx/proto';
import { encodeModel } from '../../../src/engine/onnx/write';
import { Rng } from '../../../src/engine/util/rng';

const fixtures = join(__dirname, '..', '..', 'fixtures');

/** Appends a length-delimited field with a number no ONNX version uses to a message's bytes. */
function withUnknownField(bytes: Uint8Array, field: number, payload: string): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32((field << 3) | 2).string(payload);
  const extra = w.finish();
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes);
  out.set(extra, bytes.length);
  return out;
}

/** One encoded length-delimited field, as protobufjs keeps unknown fields in `$unknowns`. */
function unknownField(field: number, payload: string): Uint8Array {
  return protobuf.Writer.create().uint32((field << 3) | 2).string(payload).finish();
}

async function logits(bytes: Uint8Array, x: Float32Array, n: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ input: new ort.Tensor('float32', x, [n, 1, 28, 28]) });
  await session.release();
  return out.logits.data as Float32Array;
}

describe.each(['fmnist-mlp', 'fmnist-cnn', 'fmnist-resnet-bn'])('%s round trip', (name) => {
  const original = new Uint8Array(readFileSync(join(fixtures, `${name}.onnx`)));

  it('keeps names, opset, producer and metadata, and onnxruntime gives identical outputs', async () => {
    const model = decodeModel(original);
    model.metadata['lethe.test'] = 'kept';
    const written = encodeModel(model);
    const again = decodeModel(written);
    expect(again.opsets).toEqual(model.opsets);
    expect(again.producerName).toBe('pytorch');
    expect(again.graph.inputs.map((v) => v.name)).toEqual(['input']);
    expect(again.graph.outputs.map((v) => v.name)).toEqual(['logits']);
    expect(again.graph.nodes.map((n) => [n.name, n.opType])).toEqual(model.graph.nodes.map((n) => [n.name, n.opType]));
    expect(again.metadata['lethe.test']).toBe('kept');
    const rng = new Rng(1);
    const x = new Float32Array(3 * 784).map(() => rng.uniform());
    expect(await logits(written, x, 3)).toEqual(await logits(original, x, 3));
  });

  it('writes back unknown fields and doc strings of the graph, nodes, attributes, initializers and inputs', () => {
    const proto = decodeModelProto(original) as unknown as Record<string, any>;
    const g = proto.graph;
    const nodeWithAttr = g.node.find((n: { attribute?: unknown[] }) => (n.attribute ?? []).length > 0);
    const marked: [string, Record<string, any>][] = [
      ['graph', g],
      ['node', nodeWithAttr],
      ['attribute', nodeWithAttr.attribute[0]],
      ['initializer', g.initializer[0]],
      ['input', g.input[0]],
    ];
    for (const [level, message] of marked) message.$unknowns = [unknownField(98, `unknown at ${level}`)];
    nodeWithAttr.attribute[0].doc_string = 'attribute doc';
    nodeWithAttr.doc_string = 'node doc';
    const bytes = ModelProtoType.encode(proto as never).finish();

    const text = Buffer.from(encodeModel(decodeModel(bytes))).toString('latin1');
    for (const [level] of marked) expect(text.includes(`unknown at ${level}`), level).toBe(true);
    expect(text.includes('attribute doc')).toBe(true);
    expect(text.includes('node doc')).toBe(true);
  });

  it('writes back fields it does not know', () => {
    const marked = withUnknownField(original, 99, 'from a future ONNX');
    const proto = decodeModelProto(marked) as { $unknowns?: Uint8Array[] };
    expect(proto.$unknowns?.length).toBe(1);
    const rewritten = encodeModel(decodeModel(marked));
    const text = Buffer.from(rewritten).toString('latin1');
    expect(text.includes('from a future ONNX')).toBe(true);
  });
});
