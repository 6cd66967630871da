/** From the findings of each metric to the two verdicts, with the reason in words (docs/verdict.md, "Rules"). */
import type { ForgettingVerdict, UtilityVerdict, VerdictEvidence } from '../../contracts/report';
import type { Judged } from './compare';
import { describe } from '../../contracts/verdictWords';

/**
 * - over-forgot: any metric lies past its target by more than its band (the Streisand effect);
 * - forgot: every metric is within its band of the target;
 * - not forgotten: no metric moved from the original beyond noise, and at least one is still short of its target;
 * - partly forgot: otherwise (some metric moved, but not every metric reached its target).
 */
export function forgettingVerdict(judged: Judged[]): { verdict: ForgettingVerdict; reason: string } {
  const findings = judged.map((j) => j.evidence);
  const beyond = findings.filter((e) => e.finding === 'beyond');
  if (beyond.length > 0) return { verdict: 'over-forgot', reason: `${list(beyond)} further than the target: ${describe(beyond[0])}` };
  const short = findings.filter((e) => e.finding === 'partway' || e.finding === 'unmoved');
  if (short.length === 0) return { verdict: 'forgot', reason: `every metric within noise of its target: ${describe(findings[0])}` };
  // A metric that matches only because the original already matched shows no movement.
  const moved = judged.some((j) => j.evidence.finding === 'partway' || (j.evidence.finding === 'matches' && !j.originalMatched));
  if (!moved) return { verdict: 'not forgotten', reason: `${list(short)} still at the original's level: ${describe(short[0])}` };
  return { verdict: 'partly forgot', reason: `${list(short)} short of the target: ${describe(short[0])}` };
}

/** lost: any utility metric below its target by more than its band; kept otherwise. */
export function utilityVerdict(findings: VerdictEvidence[]): { verdict: UtilityVerdict; reason: string } {
  const lost = findings.filter((e) => e.finding === 'lost');
  if (lost.length > 0) return { verdict: 'lost', reason: `${list(lost)} below the target beyond noise: ${describe(lost[0])}` };
  return { verdict: 'kept', reason: findings.length > 0 ? `within noise of or above the target: ${describe(findings[0])}` : 'no utility metric could be measured' };
}

function list(findings: VerdictEvidence[]): string {
  const labels = findings.map((e) => e.label.toLowerCase());
  return labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}
