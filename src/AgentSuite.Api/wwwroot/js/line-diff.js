// A line diff (longest common subsequence) of two texts: each line kept (' '), removed ('-') or added ('+'), in order.
// The common first and last lines are kept as they are; a middle whose table would exceed MAX_CELLS is shown as all of
// the old removed and all of the new added, since the definitions come from a server that need not be trusted.

const MAX_CELLS = 1_000_000;

export function lineDiff(before, after) {
  const a = before ? before.split('\n') : [];
  const b = after ? after.split('\n') : [];
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const same = text => ({ change: ' ', text });
  const oldMiddle = a.slice(head, a.length - tail);
  const newMiddle = b.slice(head, b.length - tail);
  const middle = oldMiddle.length * newMiddle.length > MAX_CELLS
    ? [...oldMiddle.map(text => ({ change: '-', text })), ...newMiddle.map(text => ({ change: '+', text }))]
    : diffMiddle(oldMiddle, newMiddle);
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

function diffMiddle(a, b) {
  // common[i * width + j]: the longest common run of a[i..] and b[j..]; MAX_CELLS bounds its size.
  const width = b.length + 1;
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = a[i] === b[j]
        ? common[(i + 1) * width + j + 1] + 1
        : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
    }
  }
  const lines = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ change: ' ', text: a[i] });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || common[(i + 1) * width + j] >= common[i * width + j + 1])) {
      lines.push({ change: '-', text: a[i++] });
    } else {
      lines.push({ change: '+', text: b[j++] });
    }
  }
  return lines;
}
