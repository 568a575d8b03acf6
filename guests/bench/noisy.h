/* The noisy-neighbour benchmark's two roles (noisy.c), called from the bench guest's main. */
#ifndef NOISY_H
#define NOISY_H

#include <stdint.h>

#define NOISY_CPU_OFF 0x4f464621U /* a second vCPU's context: switch off at once */
#define NOISY_SGI_SINK 0x53494e4bU /* a second vCPU's context: take SGIs */

int victim_main(void);
int noisy_main(void);
/* A second vCPU of the neighbour, started with one of the contexts above. */
void noisy_secondary(uint32_t context);

#endif /* NOISY_H */
