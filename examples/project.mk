# One project folder's directives, built as the top Makefile builds the root's: each build writes
# build/NAME.d listing every file it read, so only the directives whose sources changed are built
# again. The top Makefile runs it in each folder under examples/:
#   make -C examples/NAME -f ../project.mk JDGEN=/path/to/jdgen DEPS="files every build depends on"
DIRECTIVES := $(wildcard directives/*.yaml)
OUTPUTS    := $(patsubst directives/%.yaml,build/%.docx,$(DIRECTIVES))

.PHONY: all
.DELETE_ON_ERROR:

all: $(OUTPUTS)
	@:

build/%.docx: directives/%.yaml $(DEPS)
	$(JDGEN) build $< -o build --depfile

-include $(wildcard build/*.d)
