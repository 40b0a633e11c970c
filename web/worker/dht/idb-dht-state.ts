// The DHT's remembered state in IndexedDB, one entry in its own small database.
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { readDhtState, type DhtState, type DhtStateStore } from './dht-state.ts';

const KEY = 'dht-state';

export class IdbDhtStateStore implements DhtStateStore {
  private readonly store: UseStore;

  constructor(dbName = 'tabtorrent-dht', storeName = 'state') {
    this.store = createStore(dbName, storeName);
  }

  async load(): Promise<DhtState | undefined> {
    return readDhtState(await get(KEY, this.store));
  }

  async save(state: DhtState): Promise<void> {
    await set(KEY, state, this.store);
  }
}
