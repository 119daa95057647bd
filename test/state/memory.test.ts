import { MemoryStateStore } from "../../src/state/memory.js";
import { oneStore, stateStoreContract } from "./contract.js";

stateStoreContract("in memory", () => oneStore(new MemoryStateStore()));
