/**
 * Loaded before every test file (.mocharc.json): progress lines of provider
 * calls made in the test process itself (the spend line each `check` prints,
 * retry waits) are dropped instead of landing between the reporter's lines
 * on stderr. `ADNET_TEST_VERBOSE=1` keeps them. Provider hosts started by the
 * real engine are other processes and send their progress to the engine as
 * before (test/e2e.exoclick.test.ts checks it).
 */
import { setProgressSink } from "../../provider/core/config/log";

if (!process.env.ADNET_TEST_VERBOSE) setProgressSink(() => undefined);
