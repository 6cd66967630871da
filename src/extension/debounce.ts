/** Collapse bursts (a checkpoint write arrives as many change events) into one call after `ms` of quiet. */
export function debounce(fn: () => void, ms: number): { (): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  call.dispose = () => timer && clearTimeout(timer);
  return call;
}
