// Whether the explanations show, and whether "Under the hood" is open: remembered between starts
// (localStorage; a page without it simply starts with the defaults).
const KEY = 'digit-studio:learn';

interface LearnSettings {
  explain: boolean;
  hoodOpen: boolean;
}

function load(): LearnSettings {
  const defaults: LearnSettings = { explain: true, hoodOpen: false };
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<LearnSettings>;
    return {
      explain: typeof saved.explain === 'boolean' ? saved.explain : defaults.explain,
      hoodOpen: typeof saved.hoodOpen === 'boolean' ? saved.hoodOpen : defaults.hoodOpen,
    };
  } catch {
    return defaults;
  }
}

export const learn = $state(load());

export function saveLearn(): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ explain: learn.explain, hoodOpen: learn.hoodOpen }));
  } catch {
    // Not remembered (storage unavailable); the setting still holds for this session.
  }
}
