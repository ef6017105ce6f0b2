// The window's size and position, remembered between runs in userData/window-state.json.
// The file is written atomically and read tolerantly: a damaged or hand-edited file, or a saved
// position on a monitor that is no longer attached, falls back to a sensible window instead of
// an invisible one. No Electron import: displays are passed in.
import { promises as fs } from 'node:fs';
import { writeJsonAtomic } from '../util/atomic-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the system centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 820, maximized: false };
export const MIN_WINDOW_SIZE = { width: 720, height: 520 };
/** How much of the title bar area must be on some display for a saved position to be used. */
const MIN_VISIBLE = 64;

const isCoord = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 100_000;

/** Whatever was read from disk, as a valid state (defaults where a field is missing or absurd). */
export function sanitizeWindowState(raw: unknown): WindowState {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const size = (v: unknown, min: number, fallback: number) => (isCoord(v) && v >= min ? Math.round(v) : fallback);
  const state: WindowState = {
    width: size(r.width, MIN_WINDOW_SIZE.width, DEFAULT_WINDOW_STATE.width),
    height: size(r.height, MIN_WINDOW_SIZE.height, DEFAULT_WINDOW_STATE.height),
    maximized: r.maximized === true,
  };
  if (isCoord(r.x) && isCoord(r.y)) {
    state.x = Math.round(r.x);
    state.y = Math.round(r.y);
  }
  return state;
}

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return {
    w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Keeps the window usable on the displays attached now: the size is capped to the largest work
 * area, and a position whose top strip is not visible on any display is dropped (centred instead).
 */
export function fitToDisplays(state: WindowState, workAreas: Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const out: WindowState = {
    width: Math.min(state.width, maxW),
    height: Math.min(state.height, maxH),
    maximized: state.maximized,
  };
  if (state.x !== undefined && state.y !== undefined) {
    const titleStrip: Rect = { x: state.x, y: state.y, width: out.width, height: Math.min(MIN_VISIBLE, out.height) };
    const visible = workAreas.some((area) => {
      const o = overlap(titleStrip, area);
      return o.w >= Math.min(MIN_VISIBLE, out.width) && o.h >= Math.min(MIN_VISIBLE / 2, titleStrip.height);
    });
    if (visible) {
      out.x = state.x;
      out.y = state.y;
    }
  }
  return out;
}

export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    return sanitizeWindowState(JSON.parse(await fs.readFile(file, 'utf8')));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeJsonAtomic(file, sanitizeWindowState(state));
}
