// Renderer entry: global styles, then the app shell.
/// <reference types="vite/client" />
import './app.css';
// Issue 15: the bundled Bengali font, when @fontsource/noto-sans-bengali is installed (a glob that
// matches nothing adds nothing; app.css then falls back to the system's Bengali fonts).
import.meta.glob('../../node_modules/@fontsource/noto-sans-bengali/{400,600,700}.css', { eager: true });
import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
