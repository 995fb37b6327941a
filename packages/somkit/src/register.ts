import '@somkit/kernels/register';
import '@somkit/search/register';
import '@somkit/clustering/register';
import '@somkit/viz/register';
