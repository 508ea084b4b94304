/**
 * The benchmarks' synthetic engagement: 20,000 people at 2,000 companies, a realistic mix of
 * event types (page views on pricing, product, blog and careers pages; email; webinars; forms;
 * demo requests) over the last 30 days. Deterministic for a given run id.
 */
const pages = [
  "/pricing",
  "/product/routing",
  "/features/sla-clocks",
  "/blog/lead-scoring",
  "/blog/mql",
  "/",
  "/careers",
];
const types: [string, number][] = [
  ["page_view", 55],
  ["email_open", 12],
  ["email_click", 10],
  ["content_download", 8],
  ["webinar_registered", 5],
  ["webinar_attended", 3],
  ["form_submit", 5],
  ["demo_request", 2],
];
const typeTable = types.flatMap(([t, w]) => Array<string>(w).fill(t));
export const BENCH_PEOPLE = 20_000;

export type BenchEvent = {
  id: string;
  type: string;
  occurredAt: string;
  email: string;
  properties?: { url: string };
};

/** Events with ids `${runId}-0`, `${runId}-1`, …, about a random one of the bench's people. */
export function eventGenerator(runId: string) {
  let seq = 0;
  let rnd = 12345;
  const next = () => {
    rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0;
    return rnd / 4294967296;
  };
  const makeEvent = (): BenchEvent => {
    const k = Math.floor(next() * BENCH_PEOPLE);
    const type = typeTable[Math.floor(next() * typeTable.length)]!;
    const e: BenchEvent = {
      id: `${runId}-${seq++}`,
      type,
      occurredAt: new Date(Date.now() - Math.floor(next() * 30 * 86400_000)).toISOString(),
      email: `person${k}@company${k % 2000}.bench.test`,
    };
    if (type === "page_view")
      e.properties = { url: `https://www.example.com${pages[Math.floor(next() * pages.length)]}` };
    return e;
  };
  return { makeEvent, makeBatch: (n: number) => Array.from({ length: n }, makeEvent) };
}
