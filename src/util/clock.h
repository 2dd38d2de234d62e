/* clock.h: monotonic time for deadlines. */
#ifndef VNCBOT_CLOCK_H
#define VNCBOT_CLOCK_H

#include <time.h>

/* Milliseconds on the monotonic clock. */
static inline long long clock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
