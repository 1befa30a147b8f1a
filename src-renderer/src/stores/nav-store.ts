import { create } from 'zustand';

// Today and the pipeline come after the first four so Ctrl+1…4 keep their pages; Today is where the app opens.
export const PAGES = ['coach', 'pallets', 'dashboard', 'settings', 'today', 'pipeline'] as const;
export type Page = (typeof PAGES)[number];

function pageFromHash(): Page {
  const hash = location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(hash) ? (hash as Page) : 'today';
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
