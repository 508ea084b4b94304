/**
 * Our seam over @tanstack/react-query: modules call these helpers and never the library, so
 * swapping or upgrading it touches this file only.
 */
import {
  keepPreviousData,
  MutationCache,
  QueryCache,
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { ApiError } from "./api.ts";

export { QueryClientProvider } from "@tanstack/react-query";

export const sessionKey = ["session"] as const;

export function createQueryClient(): QueryClient {
  // An expired session surfaces as a 401 on any call: forget the session and the guard
  // sends the person to the sign-in page.
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) client.setQueryData(sessionKey, null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
  return client;
}

export type QueryKey = readonly unknown[];

export type AppQuery<T> = {
  data: T | undefined;
  error: ApiError | null;
  isLoading: boolean;
  isFetching: boolean;
  /** True while showing the previous answer and fetching the next one. */
  isPlaceholder: boolean;
  refetch: () => void;
};

export function useAppQuery<T>(options: {
  key: QueryKey;
  fetch: (signal: AbortSignal) => Promise<T>;
  enabled?: boolean;
  keepPrevious?: boolean;
  staleTime?: number;
  /** Ask again every so many milliseconds while the page is open (values that change alone). */
  refetchEveryMs?: number | undefined;
}): AppQuery<T> {
  const q = useQuery({
    queryKey: options.key,
    queryFn: ({ signal }) => options.fetch(signal),
    enabled: options.enabled ?? true,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    ...(options.staleTime === undefined ? {} : { staleTime: options.staleTime }),
    ...(options.refetchEveryMs === undefined ? {} : { refetchInterval: options.refetchEveryMs }),
  });
  return {
    data: q.data,
    error: toApiError(q.error),
    isLoading: q.isLoading,
    isFetching: q.isFetching,
    isPlaceholder: q.isPlaceholderData,
    refetch: () => void q.refetch(),
  };
}

export type AppMutation<I, O> = {
  run: (input: I) => Promise<O>;
  isPending: boolean;
  error: ApiError | null;
  reset: () => void;
};

export function useAppMutation<I, O>(options: {
  run: (input: I) => Promise<O>;
  onSuccess?: (output: O, input: I) => void | Promise<void>;
}): AppMutation<I, O> {
  const m = useMutation({
    mutationFn: options.run,
    ...(options.onSuccess ? { onSuccess: options.onSuccess } : {}),
  });
  return {
    run: m.mutateAsync,
    isPending: m.isPending,
    error: toApiError(m.error),
    reset: m.reset,
  };
}

export type CacheControl = {
  invalidate: (key: QueryKey) => Promise<void>;
  set: <T>(key: QueryKey, value: T) => void;
  /** Forget every answer but the session's: they belonged to the person signed in before. */
  forgetAllButSession: () => void;
};

export function useCache(): CacheControl {
  const client = useQueryClient();
  return {
    invalidate: (key) => client.invalidateQueries({ queryKey: key }),
    set: (key, value) => client.setQueryData(key, value),
    forgetAllButSession: () =>
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] }),
  };
}

function toApiError(error: Error | null): ApiError | null {
  if (!error) return null;
  if (error instanceof ApiError) return error;
  return new ApiError(0, "CLIENT", error.message || "Something went wrong in the page.");
}
