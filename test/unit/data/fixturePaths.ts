/** The Fashion-MNIST subset and the ONNX fixtures, inside the repository. */
export { FASHION_MNIST_SMALL, FIXTURES as REPO_FIXTURES } from '../../fixtures/paths';
