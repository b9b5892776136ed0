/*
 * What a new page of memory costs on this machine, beside what writing an already-present page
 * costs: the two numbers behind backfill's ceiling (every feature record lands on new pages of
 * the feature partition's file). Build and run:
 *
 *   gcc -O2 -o /tmp/page-touch ops/bench/pages/page-touch.c && /tmp/page-touch
 *
 * Three rounds of: map 1 GiB of anonymous memory, write one byte per 4 KiB page (each write
 * faults a new page in: the kernel takes a free page and zeroes it, and on a virtual machine with
 * free page reporting the host may have to provide it first), then memset the whole GiB (pages
 * present: memory bandwidth only), unmap.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    const size_t bytes = 1UL << 30;
    const size_t page = 4096;
    for (int round = 0; round < 3; round++)
    {
        char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
        {
            perror("page-touch: mmap of 1 GiB failed");
            return 1;
        }
        const double t0 = now();
        for (size_t i = 0; i < bytes; i += page)
        {
            p[i] = 1;
        }
        const double t1 = now();
        memset(p, 2, bytes);
        const double t2 = now();
        printf("round %d: new page %.2f us each (%.2f GB/s); writing present pages %.1f GB/s\n", round,
            (t1 - t0) * 1e6 / (bytes / page), bytes / (t1 - t0) / 1e9, bytes / (t2 - t1) / 1e9);
        munmap(p, bytes);
    }
    return 0;
}
