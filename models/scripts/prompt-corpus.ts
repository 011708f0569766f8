/**
 * The text the tiny model's BPE vocabulary is trained on: typical Stable Diffusion prompt words
 * (subjects, styles, lighting, quality tags), so common prompt words become one or two tokens.
 * Changing it changes the tokenizer files and the text encoder's vocab_size.
 */
export const PROMPT_CORPUS = `
a photo of a cat sitting on a windowsill, soft morning light, highly detailed, 4k
a portrait of a woman with red hair, oil painting, dramatic lighting, trending on artstation
a beautiful landscape with mountains and a lake at sunset, golden hour, cinematic, 8k
an astronaut riding a horse on the moon, digital art, concept art, sharp focus
a cozy cabin in a snowy forest at night, warm light in the windows, matte painting
a futuristic city skyline with flying cars, neon lights, cyberpunk, rain, reflections
a bowl of fruit on a wooden table, still life, studio lighting, photorealistic
a dog running on the beach, waves, blue sky, clouds, photograph, bokeh
a fantasy castle on a hill, dragons flying, epic, highly detailed illustration
a close up portrait of an old man, wrinkles, black and white photography, film grain
a watercolor painting of flowers in a vase, pastel colors, soft, delicate
a red sports car on a mountain road, motion blur, professional photo, dslr
a small village by the river in autumn, trees with orange leaves, impressionism
a robot reading a book in a library, warm colors, whimsical, children's book illustration
a portrait of a young man wearing glasses, natural light, shallow depth of field
a bird sitting on a branch, spring, blossoms, macro photography, vibrant colors
a sailing ship in a storm, dark clouds, lightning, oil on canvas, masterpiece
a bowl of ramen with egg and noodles, food photography, steam, top view
an abstract painting with bold shapes and bright colors, modern art, minimal
a forest path with sunlight through the trees, fog, morning, peaceful, green
a girl with a flower crown in a field of sunflowers, summer, dreamy, soft focus
a medieval knight in shining armor, portrait, detailed face, fantasy art
a mountain cabin, pine trees, snow, blue hour, long exposure, stars in the sky
a city street at night in the rain, people with umbrellas, neon signs, photo
a cute fox in the snow, fluffy fur, winter, wildlife photography, award winning
an ancient temple in the jungle, ruins, vines, mist, adventure, matte painting
a cup of coffee on a desk next to a laptop, morning, window light, cozy, photo
a lighthouse on a rocky coast, waves crashing, dramatic sky, seascape painting
a portrait of a cat wearing a hat, studio photo, funny, high quality, detailed
a house with a garden and a white fence, sunny day, blue sky, architecture
best quality, masterpiece, ultra detailed, sharp, high resolution, realistic, smooth
low quality, blurry, bad anatomy, deformed, ugly, watermark, text, jpeg artifacts
a painting in the style of van gogh, swirling sky, stars, night, village
a photo of a mountain lake with clear water, reflection, alps, summer, hiking
a woman walking in a field of lavender, purple, sunset, wind, dress, photo
a man standing on a cliff looking at the ocean, silhouette, clouds, epic scale
a dragon made of fire, glowing eyes, dark background, digital painting
a space nebula with stars and planets, colorful, galaxy, deep space, hubble
a vintage car parked in front of a diner, retro, 1950s, film photo, kodak
a pencil sketch of a horse, black and white, drawing, paper texture
`;
