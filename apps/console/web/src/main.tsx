import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { setLocale } from './i18n/index.js';
import './styles.css';

setLocale(document.documentElement.lang || 'zh-CN');
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
