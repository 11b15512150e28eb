import { mount } from 'svelte';
import App from './App.svelte';
import { urlState } from './lib/state/url-state.svelte';
// Registers both message catalogs and picks the language before the first render.
import './lib/state/language.svelte';
import './app.css';

// The view, runs and settings of the URL (or of the last session) are in place before anything renders.
void urlState.start().then(() => mount(App, { target: document.getElementById('app') as HTMLElement }));
