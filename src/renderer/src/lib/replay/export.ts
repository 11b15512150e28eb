/**
 * An episode exported as a file that plays anywhere: every frame drawn again by the env's renderer (the same one
 * as the replay canvas) onto an off-screen canvas, with `t` and the return so far in a corner, then encoded as an
 * animated GIF (gifenc; one palette for the whole episode, fast to encode) or as a WebM video (the canvas's
 * `captureStream` recorded by `MediaRecorder`, which records in real time: an episode of n frames at f frames per
 * second takes n / f seconds to export).
 */
import type { ReplayFrame } from '../../../../core/api/contract';
import { renderEnv } from '../../../../core/envs/render';
import { MessageError } from '../i18n/message-error';

export interface ReplayClip {
  envId: string;
  frames: readonly ReplayFrame[];
  /** Playback speed, frames per second. */
  fps: number;
  /** The caption drawn on each frame, e.g. `t=12   return 11.0` (in the interface language). */
  caption: (frame: ReplayFrame) => string;
}

/** Called after each encoded frame: frames done, frames in all. */
export type ExportProgress = (done: number, total: number) => void;

/** GIF frames are smaller than the screen's canvas: an episode of 500 frames stays a few megabytes. */
export const GIF_SIZE = Object.freeze({ width: 360, height: 240 });
export const WEBM_SIZE = Object.freeze({ width: 480, height: 320 });
/** GIF delays are in hundredths of a second, and browsers slow down anything under 2 of them. */
const MIN_GIF_DELAY_MS = 20;

function drawFrame(ctx: CanvasRenderingContext2D, clip: ReplayClip, index: number, width: number, height: number): void {
  const frame = clip.frames[index];
  renderEnv(clip.envId, ctx, frame.state, width, height, frame.action);
  ctx.save();
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = 'rgba(29, 35, 48, 0.85)';
  ctx.textBaseline = 'top';
  ctx.fillText(clip.caption(frame), 8, 8);
  ctx.restore();
}

function surface(size: { width: number; height: number }): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new MessageError('replayExport.error.noCanvas');
  return { canvas, ctx };
}

const nextTask = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('export cancelled', 'AbortError');
}

function checkClip(clip: ReplayClip): void {
  if (clip.frames.length === 0) throw new MessageError('replayExport.error.noFrames');
  if (!(clip.fps > 0)) throw new MessageError('replayExport.error.fps', { fps: clip.fps });
}

/** The episode as an animated GIF (looping), `GIF_SIZE`, at `clip.fps` (at most 50 frames per second). */
export async function replayGif(clip: ReplayClip, progress?: ExportProgress, signal?: AbortSignal): Promise<Blob> {
  checkClip(clip);
  // Loaded on first use: only an export needs the encoder.
  const { applyPalette, GIFEncoder, quantize } = await import('gifenc');
  const { width, height } = GIF_SIZE;
  const { ctx } = surface(GIF_SIZE);
  const n = clip.frames.length;
  // One palette from the first, middle and last frames: the renderers use a handful of flat colours.
  const samples = [...new Set([0, Math.floor(n / 2), n - 1])];
  const pixels = new Uint8ClampedArray(samples.length * width * height * 4);
  samples.forEach((index, k) => {
    drawFrame(ctx, clip, index, width, height);
    pixels.set(ctx.getImageData(0, 0, width, height).data, k * width * height * 4);
  });
  const palette = quantize(pixels, 256);
  const delay = Math.max(MIN_GIF_DELAY_MS, Math.round(1_000 / clip.fps));
  const gif = GIFEncoder();
  for (let i = 0; i < n; i++) {
    drawFrame(ctx, clip, i, width, height);
    const index = applyPalette(ctx.getImageData(0, 0, width, height).data, palette);
    gif.writeFrame(index, width, height, i === 0 ? { palette, delay, repeat: 0 } : { delay });
    if (i % 10 === 9) {
      progress?.(i + 1, n);
      await nextTask();
      checkAborted(signal);
    }
  }
  gif.finish();
  progress?.(n, n);
  return new Blob([gif.bytes() as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
}

/** The WebM type this browser records, or null when it records none. */
export function webmType(): string | null {
  if (typeof MediaRecorder === 'undefined' || typeof HTMLCanvasElement.prototype.captureStream !== 'function') return null;
  return ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

/** The episode as a WebM video, `WEBM_SIZE`, at `clip.fps`; takes as long as the episode plays. */
export async function replayWebm(clip: ReplayClip, progress?: ExportProgress, signal?: AbortSignal): Promise<Blob> {
  checkClip(clip);
  const mimeType = webmType();
  if (!mimeType) throw new MessageError('replayExport.error.noWebm');
  const { width, height } = WEBM_SIZE;
  const { canvas, ctx } = surface(WEBM_SIZE);
  // Frame rate 0: a frame is captured only when requestFrame() says the canvas holds the next one.
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 2_500_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  const stopped = new Promise<void>((resolve, reject) => {
    recorder.onstop = () => resolve();
    recorder.onerror = (event) => reject((event as ErrorEvent).message ? new MessageError('replayExport.error.recording', { error: (event as ErrorEvent).message }) : new MessageError('replayExport.error.recordingUnknown'));
  });
  const n = clip.frames.length;
  const frameMs = 1_000 / clip.fps;
  try {
    drawFrame(ctx, clip, 0, width, height);
    recorder.start();
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      if (i > 0) drawFrame(ctx, clip, i, width, height);
      track.requestFrame();
      progress?.(i + 1, n);
      // Wait until the next frame is due (timestamps are the recorder's clock).
      await nextTask(Math.max(0, started + (i + 1) * frameMs - performance.now()));
      checkAborted(signal);
    }
  } finally {
    if (recorder.state !== 'inactive') recorder.stop();
    track.stop();
  }
  await stopped;
  return new Blob(chunks, { type: 'video/webm' });
}
