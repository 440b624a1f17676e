// Start-up: pick the transport, hand it to the stores, render the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { getApi } from './api/index.js';
import { App } from './app.js';
import { provideApi } from './lib/api-client.js';
import './styles.css';

provideApi(getApi());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
