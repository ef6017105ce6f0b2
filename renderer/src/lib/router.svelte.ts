// The places, addressed by the URL hash so a reload comes back to the same place.
// Their names and hints come from the catalogue (t(`place.${id}`), t(`place.${id}.hint`)).
export const PLACES = [
  { id: 'data' },
  { id: 'train' },
  { id: 'evaluate' },
  { id: 'predict' },
  // Make it yours (issue 18): the guided flow from collecting to before-and-after.
  { id: 'mine' },
] as const;

export type PlaceId = (typeof PLACES)[number]['id'];

function fromHash(): PlaceId {
  const id = location.hash.replace(/^#\/?/, '');
  return (PLACES.find((p) => p.id === id)?.id ?? 'data') as PlaceId;
}

export const route = $state({ place: fromHash() });

window.addEventListener('hashchange', () => {
  route.place = fromHash();
});

export function go(place: PlaceId): void {
  if (location.hash !== `#${place}`) location.hash = place;
  route.place = place;
}
