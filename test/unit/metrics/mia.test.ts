import { describe, expect, it } from 'vitest';
import { confidenceMiaEfficacy, entropyMia } from '../../../src/engine/metrics';
import { Rng } from '../../../src/engine/util/rng';

const normals = (rng: Rng, n: number, mu: number, sd = 1) => Float64Array.from({ length: n }, () => mu + sd * rng.normal());
const uniforms = (rng: Rng, n: number, lo: number, hi: number) => Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

describe('entropy MIA (logistic regression)', () => {
  it('is a threshold: the value equals the share of forget entropies on the member side', () => {
    const rng = new Rng(10);
    const members = normals(rng, 3000, 0.5, 0.4);
    const nonMembers = normals(rng, 1000, 1.2, 0.4);
    const forget = normals(rng, 777, 0.8, 0.5);
    const mia = entropyMia({ forget, members, nonMembers });
    expect(mia.memberSide).toBe('below'); // members are more confident: lower entropy
    const t = mia.threshold!;
    const below = forget.filter((h) => h < t).length / forget.length;
    expect(mia.value).toBe(below);
    expect(mia.value).toBeGreaterThan(0.2);
    expect(mia.value).toBeLessThan(0.9);
  });

  it('perfectly separable: member-like forget set → 1, unseen-like forget set → 0', () => {
    const rng = new Rng(11);
    const members = uniforms(rng, 500, 0, 0.05);
    const nonMembers = uniforms(rng, 500, 1, 2);
    expect(entropyMia({ forget: uniforms(rng, 100, 0, 0.05), members, nonMembers }).value).toBe(1);
    expect(entropyMia({ forget: uniforms(rng, 100, 1, 2), members, nonMembers }).value).toBe(0);
  });

  it('for a forget set distributed like the retain set, approaches the member rate on the retain set', () => {
    const rng = new Rng(12);
    const members = normals(rng, 5000, 0.4, 0.3);
    const nonMembers = normals(rng, 5000, 0.9, 0.3);
    const mia = entropyMia({ forget: normals(rng, 5000, 0.4, 0.3), members, nonMembers });
    const retainRate = members.filter((h) => h < mia.threshold!).length / members.length;
    expect(Math.abs(mia.value - retainRate)).toBeLessThan(0.03);
  });
});

describe('confidence SVC MIA-efficacy', () => {
  it('perfectly separable: retain-like forget set → 0, unseen-like → 1', () => {
    const rng = new Rng(13);
    const retain = uniforms(rng, 3000, 0.95, 1);
    const test = uniforms(rng, 1500, 0.2, 0.6);
    const options = { seed: 1, maxPerSide: 500 };
    expect(confidenceMiaEfficacy({ forget: uniforms(rng, 200, 0.95, 1), retain, test }, options).value).toBe(0);
    expect(confidenceMiaEfficacy({ forget: uniforms(rng, 200, 0.2, 0.6), retain, test }, options).value).toBe(1);
  });

  it('subsamples min(|R|, |T|, cap) members and min(|T|, cap) non-members, deterministically per seed', () => {
    const rng = new Rng(14);
    const retain = normals(rng, 5000, 0.8, 0.15);
    const test = normals(rng, 1200, 0.6, 0.15);
    const forget = normals(rng, 300, 0.7, 0.15);
    const a = confidenceMiaEfficacy({ forget, retain, test }, { seed: 5, maxPerSide: 800 });
    const b = confidenceMiaEfficacy({ forget, retain, test }, { seed: 5, maxPerSide: 800 });
    const c = confidenceMiaEfficacy({ forget, retain, test }, { seed: 6, maxPerSide: 800 });
    expect([a.membersUsed, a.nonMembersUsed]).toEqual([800, 800]);
    expect(b).toEqual(a);
    expect(Array.from(c.svm.supportVectors)).not.toEqual(Array.from(a.svm.supportVectors));
    const defaultCap = confidenceMiaEfficacy({ forget, retain, test }, { seed: 5 });
    expect([defaultCap.membersUsed, defaultCap.nonMembersUsed]).toEqual([1000, 1000]);
    const uncapped = confidenceMiaEfficacy({ forget, retain, test }, { seed: 5, maxPerSide: 5000 });
    expect([uncapped.membersUsed, uncapped.nonMembersUsed]).toEqual([1200, 1200]); // |T| = 1200 bounds both sides
    // Forget confidences sit between the two: roughly half should look unseen.
    expect(a.value).toBeGreaterThan(0.2);
    expect(a.value).toBeLessThan(0.8);
  });
});
