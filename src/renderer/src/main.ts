import { mount } from 'svelte';
import App from './App.svelte';
import { urlState } from './lib/state/url-state.svelte';
import './app.css';

// The view, runs and settings of the URL (or of the last session) are in place before anything renders.
void urlState.start().then(() => mount(App, { target: document.getElementById('app') as HTMLElement }));
