/** Where the shared Fashion-MNIST subset lives: `shared/` beside the checkout (as in CI), else the workspace copy. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const besideCheckout = fileURLToPath(new URL('../../../../shared/fixtures/fashion-mnist-small', import.meta.url));

export const FASHION_MNIST_SMALL = existsSync(besideCheckout) ? besideCheckout : '/work/shared/fixtures/fashion-mnist-small';

/** The ONNX fixtures copied into the repository. */
export const REPO_FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));
