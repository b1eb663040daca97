/** Powertools around every handler: each invocation's metrics flushed, its result untouched. */
import { instrumented } from '../../service/handlers/instrumented';
import { metrics } from '../../service/handlers/observability';
import { lambdaContext } from '../lambda-context';

afterEach(() => {
  jest.restoreAllMocks();
});

test('the metrics of an invocation that throws are flushed all the same', async () => {
  const flushed = jest.spyOn(metrics, 'publishStoredMetrics');
  const handler = instrumented(() => {
    metrics.addMetric('Attempts', 'Count', 1);
    throw new Error('broken');
  });

  await expect(handler({}, lambdaContext())).rejects.toThrow('broken');
  expect(flushed).toHaveBeenCalledTimes(1);
  expect(metrics.hasStoredMetrics()).toBe(false);
});

test('an invocation that counted nothing flushes nothing', async () => {
  const flushed = jest.spyOn(metrics, 'publishStoredMetrics');

  await instrumented(() => undefined)({}, lambdaContext());

  expect(flushed).not.toHaveBeenCalled();
});

test('the result of the handler is returned as it is', async () => {
  const handler = instrumented((event: { n: number }) => Promise.resolve({ doubled: event.n * 2 }));

  await expect(handler({ n: 21 }, lambdaContext())).resolves.toEqual({ doubled: 42 });
});
