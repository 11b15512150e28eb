import { locale } from 'svelte-i18n';
import { describe, expect, it } from 'vitest';
import { cancelSweepMessage as cancelMessage } from '../../src/renderer/src/lib/sweep/cancel';
import { translate } from './i18n-support';

const cancelSweepMessage = (sweep: Parameters<typeof cancelMessage>[0], language = 'en'): string => cancelMessage(sweep, translate(language));

const counts = (c: Partial<Record<'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted', number>>) => ({
  queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0, interrupted: 0, ...c,
});

describe('cancelSweepMessage', () => {
  it('names the sweep, which runs stop and which keep their results', () => {
    const sweep = { id: 7, name: 'clip vs KL', createdAt: '2026-12-02T03:00:00.000Z', counts: counts({ running: 2, queued: 1_200, completed: 3 }) };
    const message = cancelSweepMessage(sweep);
    expect(message).toMatch(/^Cancel sweep “clip vs KL” \(#7, created .+\)\?/);
    expect(message).toContain('Its 2 running, 1,200 queued runs stop and will not train further.');
    expect(message).toContain('The 3 runs already finished keep their metrics and checkpoints.');
  });

  it('says when nothing is left to train', () => {
    const message = cancelSweepMessage({ id: 1, name: 'a', createdAt: '2026-12-02T03:00:00.000Z', counts: counts({ completed: 1 }) });
    expect(message).toContain('None of its runs is still to train.');
    expect(message).toContain('The 1 run already finished keeps its metrics and checkpoints.');
  });

  it('asks in Chinese, the date and the numbers written as Chinese writes them', async () => {
    await locale.set('zh-CN');
    const sweep = { id: 7, name: 'clip vs KL', createdAt: '2026-12-02T03:00:00.000Z', counts: counts({ running: 2, queued: 1_200, completed: 3 }) };
    const message = cancelSweepMessage(sweep, 'zh-CN');
    expect(message).toMatch(/^要取消扫描“clip vs KL”吗？（#7，创建于 2026年12月2日 .+）/);
    expect(message).toContain('其中2 个正在运行、1,200 个排队中的运行（共 1202 个）将停止');
    expect(message).toContain('已结束的 3 个运行会保留各自的指标和检查点。');
    await locale.set(undefined);
  });
});
