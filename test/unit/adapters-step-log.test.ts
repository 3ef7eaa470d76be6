import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration, formatStepLog } from '../../src/core/step-log';

void test("durations print as Go's time.Duration does", () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [850, '850ns'],
    [1_000, '1µs'],
    [12_500, '12.5µs'],
    [5_123_400, '5.1234ms'],
    [1_000_000, '1ms'],
    [2_500_000_000, '2.5s'],
    [60_000_000_000, '1m0s'],
    [90_000_000_000, '1m30s'],
    [3_602_000_000_000, '1h0m2s'],
  ];
  for (const [nanoseconds, text] of cases) assert.equal(formatGoDuration(nanoseconds), text);
});

void test('step log lines: V/u identifier (duration), <empty> when the step has no file', () => {
  assert.equal(formatStepLog(3n, 'up', 'add_email', 5_100_000), '3/u add_email (5.1ms)');
  assert.equal(formatStepLog(20240101120000n, 'down', 'a.b.c', 1_500), '20240101120000/d a.b.c (1.5µs)');
  assert.equal(formatStepLog(3n, 'down', undefined, 2_000_000), '3/d <empty> (2ms)');
  assert.equal(formatStepLog(1n, 'up', '', 1_000), '1/u  (1µs)');
});
