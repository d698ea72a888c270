// Entry point of the reporting page: starts the crypto worker and renders the app.
import { render } from 'preact';
import { App } from './app.js';
import { initialLocale } from './i18n/index.js';
import { CryptoWorker } from './worker-client.js';
import './styles.css';

const workerUrl = document.querySelector<HTMLMetaElement>('meta[name="sbx-worker"]')?.content ?? '';
const root = document.getElementById('app')!;
root.textContent = '';
render(<App worker={new CryptoWorker(workerUrl)} initialLocale={initialLocale(navigator.languages ?? [navigator.language])} />, root);
