// The places, addressed by the URL hash so a reload comes back to the same place.
export const PLACES = [
  { id: 'data', name: 'Data', hint: 'Datasets to learn from' },
  { id: 'train', name: 'Train', hint: 'Train and fine-tune' },
  { id: 'evaluate', name: 'Evaluate', hint: 'Measure a model' },
  { id: 'predict', name: 'Predict', hint: 'Draw or open a digit' },
  // Make it yours (issue 18): the guided flow from collecting to before-and-after.
  { id: 'mine', name: 'Make it yours', hint: 'Teach it your handwriting' },
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
