/** Every op's gradient rule against central finite differences and against TF.js autodiff. */
import { afterAll, describe, expect, it } from 'vitest';
import { checkOp } from './gradcheck';
import { OP_CASES } from './opCases';

const report: string[] = [];
afterAll(() => console.log(`op gradient checks (dtype, finite-difference error, TF.js error):\n${report.join('\n')}`));

describe('op gradient rules', () => {
  it.each(Object.entries(OP_CASES))('%s', async (label, c) => {
    const r = await checkOp(c);
    report.push(`  ${label.padEnd(44)} ${r.dtype}  fd ${r.fdError.toExponential(1)}  tf ${r.tfError?.toExponential(1) ?? '—'}`);
    expect(r.fdError).toBeLessThan(r.dtype === 'float64' ? 1e-6 : 3e-3);
    if (c.tf) expect(r.tfError).toBeLessThan(1e-4);
  });
});
