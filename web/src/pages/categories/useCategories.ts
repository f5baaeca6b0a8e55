import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { CategoriesResponse } from '../../api/types';

/** The user's categories with the plan usage (shared by the categories page, filters and the editor). */
export function useCategories() {
  return useQuery({
    queryKey: qk.categories.list(),
    queryFn: ({ signal }) => api.get<CategoriesResponse>('/api/categories/', { signal }),
  });
}
