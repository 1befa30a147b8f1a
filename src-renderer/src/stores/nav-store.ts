import { create } from 'zustand';

export const PAGES = ['coach', 'pallets', 'dashboard', 'settings'] as const;
export type Page = (typeof PAGES)[number];

function pageFromHash(): Page {
  const hash = location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(hash) ? (hash as Page) : 'coach';
}

interface NavState {
  page: Page;
  go(page: Page): void;
}

/** The current page lives in the URL hash so a reload (and a shared link) keeps it. */
export const useNavStore = create<NavState>((set) => ({
  page: pageFromHash(),
  go(page) {
    if (location.hash !== `#/${page}`) history.replaceState(null, '', `${location.pathname}${location.search}#/${page}`);
    set({ page });
  },
}));

window.addEventListener('hashchange', () => useNavStore.setState({ page: pageFromHash() }));
