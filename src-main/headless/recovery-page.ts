import type { StoreRecovery } from '../db/open-store';
import { recoveryTexts } from '../db/store-recovery-text';

/** No script, no external resource; the only thing the page can do is post one of the two choices. */
export const RECOVERY_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The page the headless host serves instead of the app while the store is damaged. */
export function recoveryPage(recovery: StoreRecovery, token: string, locale: string, error: string | null): string {
  const t = recoveryTexts(recovery, locale);
  const action = (choice: string) => `/recover?token=${encodeURIComponent(token)}&amp;choice=${choice}`;
  const button = (choice: string, label: string) => `<form method="post" action="${action(choice)}"><button type="submit" name="choice" value="${choice}">${escapeHtml(label)}</button></form>`;
  return `<!doctype html>
<html lang="${locale.toLowerCase().startsWith('pl') ? 'pl' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(t.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}form{display:inline-block;margin:0 .5rem .5rem 0}button{font-size:1rem;padding:.5rem 1rem}.error{color:#b00020}</style></head>
<body><h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.message)}</p><p>${escapeHtml(t.detail)}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<div>${t.restore ? button('restore', t.restore) : ''}${button('fresh', t.fresh)}</div></body></html>
`;
}
