import '@somkit/kernels/register';
import '@somkit/search/register';
