/* SPDX-License-Identifier: MIT */
/*
 * Replays fuzzer inputs without libFuzzer: every file named, or every file in every folder
 * named, goes through LLVMFuzzerTestOneInput in turn (test_fuzz_replay runs the hand-made
 * seeds and the minimised crashes in tests/fuzz/regressions this way, in every build).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[1 << 20];
	size_t len;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, err = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **names;
		int n;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: no %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			err |= replay_file(argv[i]);
			files++;
			continue;
		}
		n = scandir(argv[i], &names, NULL, alphasort);
		for (int j = 0; j < n; j++) {
			char path[4096];

			if (names[j]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i], names[j]->d_name);
				err |= replay_file(path);
				files++;
			}
			free(names[j]);
		}
		free(names);
	}
	printf("replay: %d inputs replayed, every check held\n", files);
	return err || !files;
}
