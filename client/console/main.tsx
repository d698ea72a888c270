// Entry point of the review console: starts the crypto worker and renders the app.
import { render } from 'preact';
import { App } from './app.js';
import { initialLocale } from './i18n/index.js';
import './styles.css';

const workerUrl = document.querySelector<HTMLMetaElement>('meta[name="sbx-worker"]')?.content ?? '';
const root = document.getElementById('app')!;
root.textContent = '';
render(<App workerUrl={workerUrl} initialLocale={initialLocale(navigator.languages ?? [navigator.language])} />, root);
