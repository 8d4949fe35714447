/** Azure SDK-style paging: iterate items with `for await`, or whole pages with `byPage()`. */
export interface PageSettings {
  /** Where to resume: the `continuationToken` of a page already seen. */
  continuationToken?: string;
  maxPageSize?: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back in `byPage({ continuationToken })` to resume after this page; absent on the last page. */
  continuationToken?: string;
}

export interface PagedAsyncIterableIterator<T> extends AsyncIterableIterator<T> {
  byPage(settings?: PageSettings): AsyncIterableIterator<Page<T>>;
}

/** What a Genesys `*EntityListing` (or search response) tells us about the page just read. */
export interface ListingPage<T> {
  entities?: T[];
  results?: T[];
  pageNumber?: number;
  pageCount?: number;
  nextUri?: string | null;
  nextPage?: string | null;
}

/**
 * Pages through a numbered listing. A next page exists when Genesys says so (`nextUri`, `nextPage`,
 * `pageCount`), or, for listings that give neither (queue members), when the page came back full.
 */
export function pageNumbered<T>(
  fetchPage: (pageNumber: number, pageSize: number) => Promise<ListingPage<T>>,
  defaultPageSize: number,
): PagedAsyncIterableIterator<T> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<Page<T>> {
    const pageSize = settings.maxPageSize ?? defaultPageSize;
    let pageNumber = settings.continuationToken ? Number(settings.continuationToken) : 1;
    if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new RangeError("invalid continuationToken");
    for (;;) {
      const listing = await fetchPage(pageNumber, pageSize);
      const items = listing.entities ?? listing.results ?? [];
      const saysMore =
        listing.pageCount !== undefined
          ? pageNumber < listing.pageCount
          : listing.nextUri !== undefined || listing.nextPage !== undefined
            ? Boolean(listing.nextUri ?? listing.nextPage)
            : items.length >= pageSize;
      const more = saysMore && items.length > 0;
      yield more ? { items, continuationToken: String(pageNumber + 1) } : { items };
      if (!more) return;
      pageNumber++;
    }
  }
  async function* all(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page.items;
  }
  const iterator = all();
  return {
    next: () => iterator.next(),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
}

/** Drains an iterator into an array (for the small listings a lifecycle step needs whole). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
