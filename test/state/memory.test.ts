import { MemoryStateStore } from "../../src/state/memory.js";
import { stateStoreContract } from "./contract.js";

stateStoreContract("in memory", async () => {
  const store = new MemoryStateStore();
  await store.migrate();
  return { writer: store, reader: store, close: () => store.close() };
});
