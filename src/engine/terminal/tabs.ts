/**
 * Tab stops: one byte per column (1 = stop), the VT100 default of every 8 columns. Stops
 * set or cleared by the program (HTS, TBC) survive a resize for the columns that remain.
 */
export function defaultTabs(cols: number): Uint8Array {
  const t = new Uint8Array(cols);
  for (let x = 8; x < cols; x += 8) t[x] = 1;
  return t;
}

export function resizeTabs(old: Uint8Array, cols: number): Uint8Array {
  const t = defaultTabs(cols);
  t.set(old.subarray(0, Math.min(old.length, cols)));
  return t;
}
