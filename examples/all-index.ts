import { allExamples } from "./all";

const outputs = allExamples();
export = outputs;
