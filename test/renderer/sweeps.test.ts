import { locale } from 'svelte-i18n';
import { afterEach, describe, expect, it } from 'vitest';
import { shortDate } from '../../src/renderer/src/lib/format';
import { sweepLabel, sweepProgressText } from '../../src/renderer/src/lib/runs/sweeps';
import { translate } from './i18n-support';

const now = new Date('2026-12-05T10:00:00Z');

describe('sweep labels', () => {
  it('tell sweeps with equal names apart by id and creation time', () => {
    const a = sweepLabel({ id: 12, name: 'clip vs KL', createdAt: '2026-12-02T14:03:27Z' }, now, 'UTC');
    const b = sweepLabel({ id: 13, name: 'clip vs KL', createdAt: '2026-12-02T14:09:00Z' }, now, 'UTC');
    expect(a).toBe('clip vs KL · #12 · 2 Dec 14:03');
    expect(b).toBe('clip vs KL · #13 · 2 Dec 14:09');
  });

  it('shows the time in the given zone, the year when it is not this year, and nothing for a bad date', () => {
    expect(shortDate('2026-12-02T23:30:00Z', now, 'Asia/Shanghai')).toBe('3 Dec 07:30');
    expect(shortDate('2025-01-09T08:05:00Z', now, 'UTC')).toBe('9 Jan 2025 08:05');
    expect(sweepLabel({ id: 1, name: 's', createdAt: 'not a date' }, now, 'UTC')).toBe('s · #1');
  });

  it('writes the date as the chosen interface language does', () => {
    expect(sweepLabel({ id: 12, name: 'clip vs KL', createdAt: '2026-12-02T14:03:27Z' }, now, 'UTC', 'zh-CN')).toBe('clip vs KL · #12 · 12月2日 14:03');
    expect(shortDate('2025-01-09T08:05:00Z', now, 'UTC', 'zh-CN')).toBe('2025年1月9日 08:05');
    expect(shortDate('2025-01-09T08:05:00Z', now, 'UTC', 'en')).toBe('9 Jan 2025 08:05');
  });

  describe('without a language given', () => {
    afterEach(() => void locale.set(undefined));

    it('follows the interface language', async () => {
      await locale.set('zh-CN');
      expect(shortDate('2026-12-02T14:03:27Z', now, 'UTC')).toBe('12月2日 14:03');
      await locale.set('en');
      expect(shortDate('2026-12-02T14:03:27Z', now, 'UTC')).toBe('2 Dec 14:03');
    });
  });
});

describe('sweep progress', () => {
  it('reads as steps over the trials, a percentage and the ETA while one is known', () => {
    expect(sweepProgressText({ stepsDone: 12_288, totalSteps: 73_728, etaSeconds: 52.4 }, translate('en'))).toBe('12.3k / 73.7k steps · 17% · ETA 52s');
    expect(sweepProgressText({ stepsDone: 73_728, totalSteps: 73_728, etaSeconds: null }, translate('en'))).toBe('73.7k / 73.7k steps · 100%');
    expect(sweepProgressText({ stepsDone: 0, totalSteps: 0, etaSeconds: null }, translate('en'))).toBe('0 / 0 steps · 0%');
    expect(sweepProgressText({ stepsDone: 12_288, totalSteps: 73_728, etaSeconds: 52.4 }, translate('zh-CN'))).toBe('12.3k / 73.7k 步 · 17% · 预计剩余 52s');
  });
});
