// The real @huggingface/inference client (the one written against hosted HF endpoints) pointed at a local
// `bioner serve`: node client.mjs URL TEXT [AGGREGATION]. Prints the client's result as JSON; a malformed response
// makes the client itself throw (it checks entity_group, score, word, start, end), which exits non-zero.
import { InferenceClient } from "@huggingface/inference";

const [url, text, aggregation] = process.argv.slice(2);
const client = new InferenceClient().endpoint(url);
const parameters = aggregation ? { aggregation_strategy: aggregation } : undefined;
const entities = await client.tokenClassification({ inputs: text, parameters });
console.log(JSON.stringify(entities));
