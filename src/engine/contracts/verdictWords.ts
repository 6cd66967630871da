/** The verdict in words, the same for the CLI summary and the report view. A contract of the report's own wording: pure, so the webview and the CLI both import it. */
import type { Verdict, VerdictEvidence } from './report';

/** "forget accuracy 0.902 vs reference 0.900 ± 0.010" (three decimals: shares are read to a tenth of a point). */
export function describe(e: VerdictEvidence): string {
  return `${e.label.toLowerCase()} ${e.value.toFixed(3)} vs ${e.targetLabel} ${e.target.toFixed(3)} ± ${e.band.toFixed(3)}`;
}

/** The metric a verdict turns on: the first past its target, else the first short of it or lost, else the first. */
export function decisiveEvidence(metrics: VerdictEvidence[]): VerdictEvidence | undefined {
  const first = (...findings: VerdictEvidence['finding'][]) => metrics.find((e) => findings.includes(e.finding));
  return first('beyond') ?? first('partway', 'unmoved', 'lost') ?? metrics[0];
}

/** "Verdict: forgot (forget accuracy … ± …); utility kept (test accuracy … ± …)", flagged when retrain-free. */
export function verdictSentence(verdict: Verdict): string {
  const part = (what: string, metrics: VerdictEvidence[]) => {
    const e = decisiveEvidence(metrics);
    return e ? `${what} (${describe(e)})` : what;
  };
  const utility = verdict.utility ? `; utility ${part(verdict.utility.verdict, verdict.utility.metrics)}` : '';
  const weaker = verdict.evidence === 'retrain-free (weaker)' ? ' [retrain-free: weaker evidence, no reference model]' : '';
  return `Verdict: ${part(verdict.forgetting.verdict, verdict.forgetting.metrics)}${utility}${weaker}`;
}
