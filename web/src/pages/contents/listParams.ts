// The contents list keeps its filters in the URL: ?search=&category=&ordering=&page=
export const ORDERINGS = ['-created_at', 'created_at', '-updated_at', 'title', '-title'] as const;
export type Ordering = (typeof ORDERINGS)[number];
export const DEFAULT_ORDERING: Ordering = '-created_at';

export interface ListParams {
  search: string;
  category: string;
  ordering: Ordering;
  page: number;
}

export function readListParams(params: URLSearchParams): ListParams {
  const ordering = params.get('ordering') ?? '';
  const page = Number(params.get('page'));
  const category = params.get('category') ?? '';
  return {
    search: params.get('search') ?? '',
    category: /^\d+$/.test(category) ? category : '',
    ordering: (ORDERINGS as readonly string[]).includes(ordering) ? (ordering as Ordering) : DEFAULT_ORDERING,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The URL search params for `p` (defaults left out, so the plain list is just /contents). */
export function writeListParams(p: ListParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.search.trim()) out.set('search', p.search.trim());
  if (p.category) out.set('category', p.category);
  if (p.ordering !== DEFAULT_ORDERING) out.set('ordering', p.ordering);
  if (p.page > 1) out.set('page', String(p.page));
  return out;
}

/** The API query for `p`. */
export function apiQuery(p: ListParams) {
  return {
    page: p.page > 1 ? p.page : undefined,
    search: p.search.trim() || undefined,
    category: p.category || undefined,
    ordering: p.ordering,
  };
}
