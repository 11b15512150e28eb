// Web mode: the same renderer built for a plain browser, served by `proxima web` on 127.0.0.1.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig(rendererConfig(resolve(import.meta.dirname, 'out/web')));
